/// The RPC functions, one ``RPCFunction`` type each, named after the libhal call
/// (`RPC.GetVersion` for `hal_rpc_get_version`). Argument and result order is docs/wire-protocol.md
/// §4.2's.
public enum RPC {}
