// Placeholder until the cryptech-muxd issue lands.
print("cryptech-muxd: not implemented yet")
