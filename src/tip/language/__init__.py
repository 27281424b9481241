"""The trauma-informed language checker: a pure engine (`checker`) and its pages, API and hints."""
