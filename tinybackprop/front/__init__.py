"""The front ends: scikit-learn-style estimators (estimators) and the command line (cli)."""
