import ArgumentParser

/// `spanlog`: search SpanLog files, rebuild traces, follow and summarise logs.
///
/// ```
/// spanlog grep 4bf92f3577b34da6a3ce929d0e0e4736 /var/log/app
/// spanlog traces /var/log/app --slowest --since 1h
/// spanlog trace 4bf92f3577b34da6a3ce929d0e0e4736 /var/log/app --html trace.html
/// ```
struct SpanLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spanlog",
        abstract: "Search SpanLog JSON-lines files (plain or gzip), rebuild traces, follow and summarise logs.",
        discussion: "Exit status: 0 when something was found, 1 when nothing was, 2 on an error (grep's convention).",
        subcommands: [GrepCommand.self, TracesCommand.self, TraceCommand.self, TailCommand.self, StatsCommand.self, IndexCommand.self]
    )
}
