// Placeholder until the software Alpha issue lands.
print("cryptech-emulator: not implemented yet")
