"""recsight in Slack: answers to mentions, /recsight and thread replies, posted in the thread."""
