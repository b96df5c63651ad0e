"""What every app shares: the bottom layer, importing none of the apps above it."""
