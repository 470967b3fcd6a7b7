"""recsight: plain-English answers about recommendation performance."""
