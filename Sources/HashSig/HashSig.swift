// Placeholder until the HashSig issue lands (see ../shared/design.md, "Modules").
public enum HashSigModule {}
