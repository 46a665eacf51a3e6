"""The JSON Schemas of a guideline: its facts (`facts`) and its decisions (`decision`)."""
