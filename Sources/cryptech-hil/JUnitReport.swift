import Foundation

/// The suite's results as JUnit XML, the format CI systems read: one `<testsuite>` for the
/// target, one `<testcase>` per test with `<failure>`, `<error>` or `<skipped>`.
struct JUnitReport {
    let target: HILTarget
    let results: [HILResult]
    let oneTimeKeys: Int

    func xml() -> String {
        let failures = results.filter { if case .failed = $0.outcome { true } else { false } }.count
        let errors = results.filter { if case .error = $0.outcome { true } else { false } }.count
        let skipped = results.filter(\.isSkipped).count
        let total = Self.seconds(results.reduce(Duration.zero) { $0 + $1.duration })
        let counts = "tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(Self.format(total))\""
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuites name=\"cryptech-hil\" \(counts)>",
            "  <testsuite name=\"cryptech-hil.\(target.kind)\" \(counts) timestamp=\"\(Date().ISO8601Format())\" "
                + "hostname=\"\(Self.escape(ProcessInfo.processInfo.hostName))\">",
            "    <properties>",
            "      <property name=\"target\" value=\"\(target.kind)\"/>",
        ]
        for board in target.boards {
            lines.append("      <property name=\"board.\(board.name)\" value=\"\(Self.escape(board.endpoint.description))\"/>")
        }
        lines.append("      <property name=\"one-time-keys\" value=\"\(oneTimeKeys)\"/>")
        lines.append("    </properties>")
        for result in results {
            let head = "    <testcase classname=\"hil.\(Self.escape(result.test.group))\" name=\"\(Self.escape(result.test.name))\" "
                + "time=\"\(Self.format(Self.seconds(result.duration)))\""
            var body: [String] = []
            switch result.outcome {
            case .passed:
                break
            case .failed(let message):
                body.append("      <failure message=\"\(Self.escape(message))\" type=\"check\">\(Self.escape(message))</failure>")
            case .error(let message):
                body.append("      <error message=\"\(Self.escape(message))\" type=\"error\">\(Self.escape(message))</error>")
            case .skipped(let reason):
                body.append("      <skipped message=\"\(Self.escape(reason))\"/>")
            }
            let earlier = result.failedAttempts.enumerated().map { "attempt \($0.offset + 1) failed: \($0.element)" }
            if !result.output.isEmpty || !earlier.isEmpty {
                body.append("      <system-out>\(Self.escape((earlier + result.output).joined(separator: "\n")))</system-out>")
            }
            if body.isEmpty {
                lines.append(head + "/>")
            } else {
                lines.append(head + ">")
                lines += body
                lines.append("    </testcase>")
            }
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the report (to a temporary file renamed into place, so a reader never sees half).
    func write(to path: String) throws {
        try Data(xml().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Text as XML character data or an attribute value: the five special characters escaped,
    /// characters XML 1.0 does not allow (most control characters) replaced.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}
