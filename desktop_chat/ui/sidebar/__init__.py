"""The sidebar: New chat, the search over every chat, the list of conversations."""
