"""The open conversation: its panel, the message view and its rendering, the composer."""
