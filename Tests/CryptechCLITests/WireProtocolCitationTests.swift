import Foundation
import Testing

/// Comments and tests cite the wire protocol by section ("docs/wire-protocol.md §4.3",
/// "§13 items 19-21", "§15 G6"); every one must name a section, weakness item or golden vector
/// the document has, so a renumbering or a cut cannot leave citations pointing nowhere.
@Suite struct WireProtocolCitationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let document = "docs/wire-protocol.md"

    /// What the document defines: "## 4." / "### 4.3" headings, "| **13.19** |" weakness rows
    /// and "**G6 —" golden vectors.
    static func anchors(_ text: String) throws -> Set<String> {
        var anchors = Set<String>()
        for line in text.split(separator: "\n") {
            for pattern in [#"^##+ (\d+(?:\.\d+)?)[. ]"#, #"^\| \*\*(\d+\.\d+)\*\* \|"#, #"^\*\*(G\d+) —"#] {
                if let match = try Regex(pattern).firstMatch(in: line), let anchor = match.output[1].substring {
                    anchors.insert(String(anchor))
                }
            }
        }
        return anchors
    }

    /// The anchors one citation names: "§8.7" → 8.7; "§13 items 19-21" → 13.19, 13.21;
    /// "§15 G1/G2" → G1, G2.
    static func cited(section: String, suffix: String) -> [String] {
        let numbers = suffix.split(whereSeparator: { !$0.isNumber }).map(String.init)
        if suffix.contains("G") { return numbers.map { "G" + $0 } }
        if suffix.contains("item") { return numbers.map { section + "." + $0 } }
        return [section]
    }

    /// A line without its indentation and comment marker.
    static func commentText(_ line: Substring) -> Substring {
        let text = line.drop(while: \.isWhitespace)
        for marker in ["///", "//", "#"] where text.hasPrefix(marker) {
            return text.dropFirst(marker.count).drop(while: \.isWhitespace)
        }
        return text
    }

    /// Every text file under the directories that cite the document, and the README.
    static func citingFiles() -> [URL] {
        var files = [root.appendingPathComponent("README.md")]
        for directory in ["Sources", "Tests", "tools", "Fuzz", "docs"] {
            let base = root.appendingPathComponent(directory)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append(file)
            }
        }
        return files
    }

    @Test("every docs/wire-protocol.md § cited in the repository exists in the document")
    func citationsResolve() throws {
        let anchors = try Self.anchors(String(contentsOf: Self.root.appendingPathComponent(Self.document), encoding: .utf8))
        #expect(anchors.isSuperset(of: ["1.3", "4.3", "8.7", "11.3", "13.19", "15", "G15", "16.3"]))
        // A citation may wrap after ".md" onto the next comment line: lines are joined first.
        let citation = try Regex(#"docs/wire-protocol\.md((?:\s*(?:,|and)?\s*§\d+(?:\.\d+)?(?:(?: items?| G)[\d\-–/ G,and]*)?)+)"#)
        let reference = try Regex(#"§(\d+(?:\.\d+)?)((?: items?| G)[\d\-–/ G,and]*)?"#)
        var checked = 0
        for file in Self.citingFiles() {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            // The project spec the comments used to cite lives outside the repository.
            let citesOldSpec = text.contains("rpc-wire" + ".md")
            #expect(!citesOldSpec, "\(file.path) cites a document that is not in the repository")
            guard text.contains(Self.document) else { continue }
            let joined = text.split(separator: "\n").map(Self.commentText).joined(separator: " ")
            for match in joined.matches(of: citation) {
                guard let chain = match.output[1].substring else { continue }
                for part in chain.matches(of: reference) {
                    guard let section = part.output[1].substring else { continue }
                    for anchor in Self.cited(section: String(section), suffix: part.output[2].substring.map(String.init) ?? "") {
                        checked += 1
                        let exists = anchors.contains(anchor)
                        #expect(exists, "\(file.lastPathComponent) cites \(Self.document) §\(anchor), which it does not have")
                    }
                }
            }
        }
        // The repository cites the document a few hundred times; finding none means the
        // pattern above broke, not that all is well.
        #expect(checked > 200, "only \(checked) citations found")
    }
}
