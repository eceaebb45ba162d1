"""Data: CSV rows and scaling (rows), tables (tables), columns and preprocessing (columns),
and the bundled data sets (datasets/)."""
