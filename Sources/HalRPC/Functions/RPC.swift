/// The RPC functions, one ``RPCFunction`` type each, named after the libhal call
/// (`RPC.GetVersion` for `hal_rpc_get_version`). Argument and result order is rpc-wire.md
/// §4.2's.
public enum RPC {}
