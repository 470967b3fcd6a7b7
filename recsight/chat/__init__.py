"""`recsight chat`: a terminal conversation with the data."""
