"""Tools for scenario authors: the skeleton, the preview, the lint rules and golden runs."""
