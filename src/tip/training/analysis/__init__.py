"""Training delivery's analysis: pure Python, no Django import, testable on its own."""
