"""Census import and export."""
