extension LMS {
    /// The parameter sets of one tree: its LMS type and the LM-OTS type of its one-time keys.
    public struct Parameters: Hashable, Sendable {
        /// The tree's LMS type: its height, and so how many one-time keys it has (2^h).
        public var lmsType: LMSType
        /// The LM-OTS type of the tree's one-time keys: its Winternitz width trades signature size
        /// against signing time.
        public var lmotsType: LMOTSType

        /// - Parameters:
        ///   - lmsType: the tree's LMS type.
        ///   - lmotsType: the LM-OTS type of its leaves.
        public init(_ lmsType: LMSType, _ lmotsType: LMOTSType) {
            self.lmsType = lmsType
            self.lmotsType = lmotsType
        }

        /// Length of an LMS signature with these parameters.
        public var signatureLength: Int { lmsType.signatureLength(lmotsType: lmotsType) }
    }
}

extension LMS.Parameters: CustomStringConvertible {
    /// `LMS type/LM-OTS type`, as the CLI prints a level.
    public var description: String { "\(lmsType)/\(lmotsType)" }
}

extension HSS {
    /// Length of an HSS signature whose levels use `levels` (top first):
    /// 4 + Σ LMS signature lengths + (L - 1) · 56 (RFC 8554 §6.2).
    public static func signatureLength(levels: [LMS.Parameters]) -> Int {
        4 + levels.reduce(0) { $0 + $1.signatureLength } + (levels.count - 1) * LMS.PublicKey.length
    }

    /// The longest encoding an HSS signature under a key with `levels` levels can have: the
    /// longest LMS signature (any parameter sets) at every level. A bound for reading one.
    public static func maximumSignatureLength(levels: Int) -> Int {
        let longest = LMSType.allCases.flatMap { lms in LMOTSType.allCases.map { LMS.Parameters(lms, $0) } }
            .reduce(LMS.Parameters(.sha256M32H5, .sha256N32W8)) { $1.signatureLength > $0.signatureLength ? $1 : $0 }
        return signatureLength(levels: Array(repeating: longest, count: levels))
    }
}
