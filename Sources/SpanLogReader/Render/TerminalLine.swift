/// Fits a painted terminal line (text with ``TerminalStyle`` colour sequences) into a number of
/// columns: the visible characters past the width are cut and the line ends in `…`, with the
/// colour reset when a sequence was open.
///
/// Only the renderer's own sequences (`ESC [ … m`) are skipped when counting: record text has
/// been escaped by ``TerminalText`` before it is painted, so it holds no ESC of its own.
///
/// ```swift
/// TerminalLine.fit("\u{1B}[31mhello world\u{1B}[0m", columns: 8)   // "\u{1B}[31mhello w…\u{1B}[0m"
/// ```
package enum TerminalLine {
    /// `line` cut to at most `columns` visible characters.
    package static func fit(_ line: String, columns: Int) -> String {
        guard columns > 0 else { return "" }
        var visible = 0
        var inSequence = false
        for character in line {
            if inSequence {
                if character == "m" { inSequence = false }
            } else if character == "\u{1B}" {
                inSequence = true
            } else {
                visible += 1
            }
        }
        guard visible > columns else { return line }
        var result = ""
        var shown = 0
        var painted = false
        inSequence = false
        for character in line {
            if inSequence {
                result.append(character)
                if character == "m" { inSequence = false }
                continue
            }
            if character == "\u{1B}" {
                inSequence = true
                painted = true
                result.append(character)
                continue
            }
            if shown == columns - 1 { break }
            result.append(character)
            shown += 1
        }
        result += "…"
        if painted { result += "\u{1B}[0m" }
        return result
    }
}
