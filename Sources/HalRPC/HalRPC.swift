// Placeholder until its issue lands (see ../shared/design.md, "Modules").
public enum HalRPCModule {}
