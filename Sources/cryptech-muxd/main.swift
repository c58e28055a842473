// cryptech-muxd: thin executable over the CryptechMuxd library.
MuxdCommand.main()
