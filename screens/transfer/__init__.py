"""Import and export screens (BY-06): the import check/confirm screen and the export key every list adds."""
