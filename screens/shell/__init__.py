"""Home and the map from each menu function to its screen."""
