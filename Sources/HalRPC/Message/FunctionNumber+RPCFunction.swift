extension FunctionNumber {
    /// The description of this function: its layouts and timeout class. Lets code that holds
    /// only a number (the muxd routing raw frames) use the same table as everyone else.
    public var rpcFunction: any RPCFunction.Type {
        switch self {
        case .checkTamper: RPC.CheckTamper.self
        case .getRandom: RPC.GetRandom.self
        case .getVersion: RPC.GetVersion.self
        case .hashFinalize: RPC.HashFinalize.self
        case .hashGetAlgorithm: RPC.HashGetAlgorithm.self
        case .hashGetDigestAlgorithmID: RPC.HashGetDigestAlgorithmID.self
        case .hashGetDigestLength: RPC.HashGetDigestLength.self
        case .hashInitialize: RPC.HashInitialize.self
        case .hashUpdate: RPC.HashUpdate.self
        case .isLoggedIn: RPC.IsLoggedIn.self
        case .login: RPC.Login.self
        case .logout: RPC.Logout.self
        case .logoutAll: RPC.LogoutAll.self
        case .pkeyClose: RPC.PKeyClose.self
        case .pkeyDelete: RPC.PKeyDelete.self
        case .pkeyExport: RPC.PKeyExport.self
        case .pkeyGenerateEC: RPC.PKeyGenerateEC.self
        case .pkeyGenerateHashsig: RPC.PKeyGenerateHashsig.self
        case .pkeyGenerateRSA: RPC.PKeyGenerateRSA.self
        case .pkeyGetAttributes: RPC.PKeyGetAttributes.self
        case .pkeyGetKeyCurve: RPC.PKeyGetKeyCurve.self
        case .pkeyGetKeyFlags: RPC.PKeyGetKeyFlags.self
        case .pkeyGetKeyType: RPC.PKeyGetKeyType.self
        case .pkeyGetPublicKey: RPC.PKeyGetPublicKey.self
        case .pkeyGetPublicKeyLength: RPC.PKeyGetPublicKeyLength.self
        case .pkeyImport: RPC.PKeyImport.self
        case .pkeyLoad: RPC.PKeyLoad.self
        case .pkeyMatch: RPC.PKeyMatch.self
        case .pkeyOpen: RPC.PKeyOpen.self
        case .pkeySetAttributes: RPC.PKeySetAttributes.self
        case .pkeySign: RPC.PKeySign.self
        case .pkeyVerify: RPC.PKeyVerify.self
        case .setPIN: RPC.SetPIN.self
        }
    }
}
