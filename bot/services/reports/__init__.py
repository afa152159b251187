"""The programme report for funders: figures per territory over a period, as a table, JSON,
CSV or a chart."""
