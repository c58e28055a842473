/// The results of every function that creates a key (LOAD, GENERATE_*, IMPORT): the new
/// handle and the key's name (a fresh random UUID).
public struct NewKey: Hashable, Sendable, XDRCodable {
    public var pkey: PKeyHandle
    public var name: KeyName

    public init(pkey: PKeyHandle, name: KeyName) {
        self.pkey = pkey
        self.name = name
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(pkey)
        encoder.encode(name)
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        pkey = try decoder.decode()
        name = try decoder.decode()
    }
}
