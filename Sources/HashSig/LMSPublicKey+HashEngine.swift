extension LMS.PublicKey {
    /// Verifies an LMS signature with the given SHA-256 engine (RFC 8554 §5.4.2 Algorithm 6).
    public func verify(_ signature: LMS.Signature, for message: [UInt8],
                       using engine: some HashEngine) async throws -> VerificationResult {
        try await verify(signature, for: message, level: 0, using: engine)
    }

    func verify(_ signature: LMS.Signature, for message: [UInt8], level: Int,
                using engine: some HashEngine) async throws -> VerificationResult {
        if engine is OpenSSLHashEngine {
            return message.withUnsafeBytes { bytes in
                Workspace.with(holdsSecrets: false) { workspace in
                    verify(signature, message: bytes, level: level, workspace)
                }
            }
        }
        guard signature.lmotsSignature.type == lmotsType else {
            return .invalid(.lmotsTypeMismatch(level: level, expected: lmotsType, found: signature.lmotsSignature.type))
        }
        guard signature.lmsType == lmsType else {
            return .invalid(.lmsTypeMismatch(level: level, expected: lmsType, found: signature.lmsType))
        }
        let candidate = try await Self.candidateRoot(identifier: identifier, signature: signature,
                                                     message: message, engine: engine)
        return candidate == root ? .valid : .invalid(.rootMismatch(level: level))
    }

    /// RFC 8554 §5.4.2 Algorithm 6a (with §4.6 Algorithm 4b), written out as in the RFC with
    /// every hash going through `engine`.
    static func candidateRoot(identifier: [UInt8], signature: LMS.Signature, message: [UInt8],
                              engine: some HashEngine) async throws -> [UInt8] {
        let ots = signature.lmotsSignature
        let type = ots.type
        let q = signature.leafIndex
        var prefix = identifier
        prefix.appendUInt32(q)

        // Algorithm 4b: Q = H(I ‖ u32str(q) ‖ u16str(D_MESG) ‖ C ‖ message).
        var messageInput = prefix
        messageInput.appendUInt16(DomainSeparator.message)
        messageInput += ots.randomizer
        messageInput += message
        var digits = try await engine.sha256(messageInput)
        digits.appendUInt16(digits.withUnsafeBytes { Workspace.checksum($0.baseAddress!, type: type) })

        // Step 4: z[i] = the chain from y[i], digit a through 2^w - 2; one batch per step j.
        var values = (0..<type.p).map { Array(ots.chainValue($0)) }
        let starts = digits.withUnsafeBytes { digitBytes in
            (0..<type.p).map { i in Workspace.coefficient(digitBytes.baseAddress!, i, w: type.w) }
        }
        for j in 0..<type.chainEnd {
            let running = (0..<type.p).filter { starts[$0] <= j }
            guard !running.isEmpty else { continue }
            let inputs = running.map { i -> [UInt8] in
                var input = prefix
                input.appendUInt16(UInt16(i))
                input.append(UInt8(j))
                return input + values[i]
            }
            let outputs = try await engine.sha256(batch: inputs)
            for (i, output) in zip(running, outputs) { values[i] = output }
        }

        // Kc = H(I ‖ u32str(q) ‖ u16str(D_PBLC) ‖ z[0] ‖ … ‖ z[p-1]).
        var publicKeyInput = prefix
        publicKeyInput.appendUInt16(DomainSeparator.publicKey)
        for value in values { publicKeyInput += value }
        let candidateKey = try await engine.sha256(publicKeyInput)

        // Algorithm 6a: leaf, then up the path; an odd node's sibling is on the left.
        var node = signature.lmsType.leafCount + q
        var leafInput = identifier
        leafInput.appendUInt32(node)
        leafInput.appendUInt16(DomainSeparator.leaf)
        var tmp = try await engine.sha256(leafInput + candidateKey)
        var i = 0
        while node > 1 {
            var input = identifier
            input.appendUInt32(node / 2)
            input.appendUInt16(DomainSeparator.interior)
            let sibling = Array(signature.pathNode(i))
            input += node % 2 == 1 ? sibling + tmp : tmp + sibling
            tmp = try await engine.sha256(input)
            node /= 2
            i += 1
        }
        return tmp
    }
}
