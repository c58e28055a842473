import HalRPC
import Testing

/// Every raw value, pinned: libhal numbers its enums by position, so a reorder there (or a
/// slip here) must fail a test, not a board.
@Suite struct WireValueTableTests {
    @Test(arguments: [
        (FunctionNumber.getVersion, 0), (.getRandom, 1), (.setPIN, 2), (.login, 3), (.logout, 4), (.logoutAll, 5),
        (.isLoggedIn, 6), (.hashGetDigestLength, 7), (.hashGetDigestAlgorithmID, 8), (.hashGetAlgorithm, 9),
        (.hashInitialize, 10), (.hashUpdate, 11), (.hashFinalize, 12), (.pkeyLoad, 13), (.pkeyOpen, 14),
        (.pkeyGenerateRSA, 15), (.pkeyGenerateEC, 16), (.pkeyClose, 17), (.pkeyDelete, 18), (.pkeyGetKeyType, 19),
        (.pkeyGetKeyFlags, 20), (.pkeyGetPublicKeyLength, 21), (.pkeyGetPublicKey, 22), (.pkeySign, 23),
        (.pkeyVerify, 24), (.pkeyMatch, 25), (.pkeyGetKeyCurve, 26), (.pkeySetAttributes, 27),
        (.pkeyGetAttributes, 28), (.pkeyExport, 29), (.pkeyImport, 30), (.pkeyGenerateHashsig, 31), (.checkTamper, 66),
    ] as [(FunctionNumber, UInt32)])
    func functionNumbers(_ function: FunctionNumber, _ value: UInt32) {
        #expect(function.rawValue == value)
    }

    @Test func everyFunctionIsPinnedAndUnassignedNumbersHaveNone() {
        #expect(FunctionNumber.allCases.count == 33)
        for code: UInt32 in [32, 50, 65, 67, 0x5359_4E43, .max] { #expect(FunctionNumber(rawValue: code) == nil) }
    }

    static let errors: [(HALError, UInt32, String)] = [
        (.ok, 0, "HAL_OK"), (.badArguments, 1, "HAL_ERROR_BAD_ARGUMENTS"), (.unsupportedKey, 2, "HAL_ERROR_UNSUPPORTED_KEY"),
        (.ioSetupFailed, 3, "HAL_ERROR_IO_SETUP_FAILED"), (.ioTimeout, 4, "HAL_ERROR_IO_TIMEOUT"),
        (.ioUnexpected, 5, "HAL_ERROR_IO_UNEXPECTED"), (.ioOSError, 6, "HAL_ERROR_IO_OS_ERROR"),
        (.ioBadCount, 7, "HAL_ERROR_IO_BAD_COUNT"), (.csprngBroken, 8, "HAL_ERROR_CSPRNG_BROKEN"),
        (.keywrapBadMagic, 9, "HAL_ERROR_KEYWRAP_BAD_MAGIC"), (.keywrapBadLength, 10, "HAL_ERROR_KEYWRAP_BAD_LENGTH"),
        (.keywrapBadPadding, 11, "HAL_ERROR_KEYWRAP_BAD_PADDING"), (.impossible, 12, "HAL_ERROR_IMPOSSIBLE"),
        (.allocationFailure, 13, "HAL_ERROR_ALLOCATION_FAILURE"), (.resultTooLong, 14, "HAL_ERROR_RESULT_TOO_LONG"),
        (.asn1ParseFailed, 15, "HAL_ERROR_ASN1_PARSE_FAILED"), (.keyNotOnCurve, 16, "HAL_ERROR_KEY_NOT_ON_CURVE"),
        (.invalidSignature, 17, "HAL_ERROR_INVALID_SIGNATURE"), (.coreNotFound, 18, "HAL_ERROR_CORE_NOT_FOUND"),
        (.coreBusy, 19, "HAL_ERROR_CORE_BUSY"), (.keystoreAccess, 20, "HAL_ERROR_KEYSTORE_ACCESS"),
        (.keyNotFound, 21, "HAL_ERROR_KEY_NOT_FOUND"), (.keyNameInUse, 22, "HAL_ERROR_KEY_NAME_IN_USE"),
        (.noKeySlotsAvailable, 23, "HAL_ERROR_NO_KEY_SLOTS_AVAILABLE"), (.pinIncorrect, 24, "HAL_ERROR_PIN_INCORRECT"),
        (.noClientSlotsAvailable, 25, "HAL_ERROR_NO_CLIENT_SLOTS_AVAILABLE"), (.forbidden, 26, "HAL_ERROR_FORBIDDEN"),
        (.xdrBufferOverflow, 27, "HAL_ERROR_XDR_BUFFER_OVERFLOW"), (.rpcTransport, 28, "HAL_ERROR_RPC_TRANSPORT"),
        (.rpcPacketOverflow, 29, "HAL_ERROR_RPC_PACKET_OVERFLOW"), (.rpcBadFunction, 30, "HAL_ERROR_RPC_BAD_FUNCTION"),
        (.keyNameTooLong, 31, "HAL_ERROR_KEY_NAME_TOO_LONG"), (.masterKeyNotSet, 32, "HAL_ERROR_MASTERKEY_NOT_SET"),
        (.masterKeyFail, 33, "HAL_ERROR_MASTERKEY_FAIL"), (.masterKeyBadLength, 34, "HAL_ERROR_MASTERKEY_BAD_LENGTH"),
        (.keystoreDriverNotFound, 35, "HAL_ERROR_KS_DRIVER_NOT_FOUND"), (.keystoreBadCRC, 36, "HAL_ERROR_KEYSTORE_BAD_CRC"),
        (.keystoreBadBlockType, 37, "HAL_ERROR_KEYSTORE_BAD_BLOCK_TYPE"), (.keystoreLostData, 38, "HAL_ERROR_KEYSTORE_LOST_DATA"),
        (.badAttributeLength, 39, "HAL_ERROR_BAD_ATTRIBUTE_LENGTH"), (.attributeNotFound, 40, "HAL_ERROR_ATTRIBUTE_NOT_FOUND"),
        (.noKeyIndexSlots, 41, "HAL_ERROR_NO_KEY_INDEX_SLOTS"), (.keystoreIndexUUIDMisordered, 42, "HAL_ERROR_KS_INDEX_UUID_MISORDERED"),
        (.keystoreWrongBlockType, 43, "HAL_ERROR_KEYSTORE_WRONG_BLOCK_TYPE"), (.rpcProtocolError, 44, "HAL_ERROR_RPC_PROTOCOL_ERROR"),
        (.notImplemented, 45, "HAL_ERROR_NOT_IMPLEMENTED"), (.coreReassigned, 46, "HAL_ERROR_CORE_REASSIGNED"),
        (.assertionFailed, 47, "HAL_ERROR_ASSERTION_FAILED"), (.hashsigKeyExhausted, 48, "HAL_ERROR_HASHSIG_KEY_EXHAUSTED"),
        (.notReady, 49, "HAL_ERROR_NOT_READY"), (.tamper, 50, "HAL_ERROR_TAMPER"),
    ]

    @Test func halErrors() {
        #expect(Self.errors.count == 51)
        for (index, (error, value, name)) in Self.errors.enumerated() {
            #expect(UInt32(index) == value)
            #expect(error.rawValue == value)
            #expect(error.name == name)
            #expect(error.isKnown)
            #expect(!error.description.isEmpty && !error.description.hasPrefix("unknown HAL error"))
        }
    }

    @Test func unknownHALErrorIsKeptAsAValue() {
        let future = HALError(rawValue: 51)
        #expect(!future.isKnown)
        #expect(future.name == nil)
        #expect(future.description == "unknown HAL error 51")
        #expect(future != .tamper)
        #expect(HALError(rawValue: .max).description == "unknown HAL error 4294967295")
    }

    @Test func otherEnumerations() {
        #expect([KeyType.none, .rsaPrivate, .rsaPublic, .ecPrivate, .ecPublic, .hashsigPrivate, .hashsigPublic, .hashsigLMS, .hashsigLMOTS]
            .map(\.rawValue) == Array(0...8))
        #expect([Curve.none, .p256, .p384, .p521].map(\.rawValue) == [0, 1, 2, 3])
        #expect([DigestAlgorithm.none, .sha1, .sha224, .sha256, .sha512_224, .sha512_256, .sha384, .sha512].map(\.rawValue) == Array(0...7))
        #expect([DigestAlgorithm.sha1, .sha224, .sha256, .sha512_224, .sha512_256, .sha384, .sha512].map(\.digestLength) == [20, 28, 32, 28, 32, 48, 64])
        #expect([User.none, .normal, .securityOfficer, .wheel].map(\.rawValue) == [0, 1, 2, 3])
        #expect([LMSTypeCode.sha256N32H5, .sha256N32H10, .sha256N32H15, .sha256N32H20, .sha256N32H25].map(\.rawValue) == [5, 6, 7, 8, 9])
        #expect([LMOTSTypeCode.sha256N32W1, .sha256N32W2, .sha256N32W4, .sha256N32W8].map(\.rawValue) == [1, 2, 3, 4])
        #expect([MatchState.start, .token, .volatile, .done].map(\.rawValue) == [0, 1, 2, 3])
        #expect([KeyFlags.digitalSignature, .keyEncipherment, .dataEncipherment, .token, .public, .exportable].map(\.rawValue)
            == [0x01, 0x02, 0x04, 0x08, 0x10, 0x20])
        #expect(KeyFlags.all.rawValue == 0x3F)
        #expect([AttributeType.hashsigNextIndex, .hashsigRangeStart, .hashsigRangeEnd, .hashsigPendingShare].map(\.rawValue)
            == [0x4354_0001, 0x4354_0002, 0x4354_0003, 0x4354_0004])
        #expect(PKeyHandle.noHandle.rawValue == 0 && HashHandle.noHandle.rawValue == 0)
        #expect(RPCLimits.maximumMessage == 16384 && RPCLimits.replySpace == 16372 && RPCLimits.version == 0x0101_0100)
        #expect(RPC.GetRandom.maximumCount == 16368)
        #expect(RPC.PKeyMatch.maximumPageSize == 818)
        #expect(RPC.HashUpdate.maximumChunk == 16368)
    }

    @Test func descriptionsNameUnknownValues() {
        #expect(KeyFlags(rawValue: 0x29).description == "[digitalSignature, token, exportable]")
        #expect(KeyFlags(rawValue: 0x41).description == "[digitalSignature, 0x40]")
        #expect(KeyType(rawValue: 9).description == "key type 9")
        #expect(PKeyHandle(rawValue: 0x8001_0000).description == "0x80010000")
        #expect(FunctionNumber.pkeyGetPublicKeyLength.description == "PKEY_GET_PUBLIC_KEY_LEN")
    }
}

@Suite struct FunctionRegistryTests {
    @Test(arguments: FunctionNumber.allCases)
    func everyNumberMapsToItsOwnDescription(function: FunctionNumber) {
        #expect(function.rpcFunction.number == function)
    }
}
