"""Statistics: reports computed in the database, rendered as tables, JSON, CSV, XLSX and charts."""
