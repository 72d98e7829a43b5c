/// The time axis over a waterfall: ticks at 0, 25 %, 50 %, 75 % and 100 % of the trace's
/// duration, labelled in readable units (`DurationText`): `0`, `25.0ms`, `50.0ms`, `75.0ms`,
/// `100ms`.
///
/// ```swift
/// let axis = TimeAxis(totalNanoseconds: 100_000_000)
/// axis.ticks.map(\.label)          // ["0", "25.0ms", "50.0ms", "75.0ms", "100ms"]
/// let lines = axis.terminalLines(barWidth: 40)
/// // lines.labels  "0      25.0ms     50.0ms    75.0ms   100ms"
/// // lines.axis    "├─────────┼──────────┼─────────┼─────────┤"
/// ```
package struct TimeAxis: Sendable {
    /// One tick: where it is (0…1 of the trace) and its label.
    package struct Tick: Sendable, Equatable {
        package var fraction: Double
        package var label: String
    }

    /// The ticks, first to last.
    package let ticks: [Tick]

    /// Ticks at quarters of `totalNanoseconds`.
    package init(totalNanoseconds: Int64, divisions: Int = 4) {
        let total = max(0, totalNanoseconds)
        self.ticks = (0...divisions).map { index in
            // The last tick is the total itself: Double(Int64.max) does not fit back in an Int64.
            let nanoseconds = index == divisions ? total : Int64((Double(total) * Double(index) / Double(divisions)).rounded(.down))
            return Tick(fraction: Double(index) / Double(divisions), label: index == 0 ? "0" : DurationText.format(nanoseconds: nanoseconds))
        }
    }

    /// Two lines as wide as a terminal bar with its two edges (`barWidth + 2` columns): the tick
    /// labels, and the axis `├────┼────┤` with a `┼` at each inner tick. A label starts at its
    /// tick (the last one ends at it) and is left out when it would touch the one before.
    package func terminalLines(barWidth: Int) -> (labels: String, axis: String) {
        let width = barWidth + 2
        let columns = self.ticks.map { Int(($0.fraction * Double(width - 1)).rounded()) }
        var axis = Array(repeating: "─", count: width)
        for (index, column) in columns.enumerated() {
            axis[column] = index == 0 ? "├" : (index == columns.count - 1 ? "┤" : "┼")
        }
        // The first label starts at its tick, the last ends at it, the others are centred on
        // theirs; the first and last always show, an inner one only with a space on each side.
        var placed: [(start: Int, text: [String])] = []
        for (index, tick) in self.ticks.enumerated() {
            let text = Array(tick.label).map(String.init)
            let start: Int
            if index == 0 {
                start = 0
            } else if index == self.ticks.count - 1 {
                start = width - text.count
            } else {
                start = columns[index] - text.count / 2
            }
            placed.append((start, text))
        }
        var labels = Array(repeating: " ", count: width)
        var chosen: [Int] = [0, placed.count - 1]
        for index in 1..<max(1, placed.count - 1) {
            let previous = chosen.filter { $0 < index }.max().map { placed[$0].start + placed[$0].text.count } ?? 0
            let next = placed[placed.count - 1].start
            if placed[index].start > previous, placed[index].start + placed[index].text.count < next { chosen.append(index) }
        }
        for index in Set(chosen) {
            let (start, text) = placed[index]
            for (offset, character) in text.enumerated() where (0..<width).contains(start + offset) { labels[start + offset] = character }
        }
        var labelLine = labels.joined()
        while labelLine.hasSuffix(" ") { labelLine.removeLast() }
        return (labelLine, axis.joined())
    }
}
