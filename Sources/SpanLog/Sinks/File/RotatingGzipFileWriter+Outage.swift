import Logging
internal import SpanLogFormat

// Riding out an outage: the pending members are kept and retried with backoff; callers wait for
// at most the outage limit, then records are dropped and counted until writing works again,
// which is reported in the file and on standard error.
extension RotatingGzipFileWriter {
    /// A write failed: starts an outage (reported on standard error), or backs off further.
    func fail(_ error: String) {
        let now = monotonicNanoseconds()
        if self.outage != nil {
            self.outage!.attemptFailed(now: now)
            return
        }
        self.outage = WriteOutage(error: error, since: self.clock(), now: now)
        reportToStandardError("\(error); retrying, holding records back for up to \(self.configuration.outageBlockLimitMilliseconds) ms, then dropping and counting them until writing works again")
    }

    /// Retries the pending members with backoff until they are written (returns false: carry
    /// on), keeping callers waiting for at most the outage limit; past it, takes records off the
    /// queue and drops them, counted. Returns true when the sink is shutting down and gave up.
    func rideOutOutage(_ batchBytes: inout [UInt8], finalSeen: Bool) -> Bool {
        var finalSeen = finalSeen
        var triedSinceFinal = false
        while let outage = self.outage {
            let now = monotonicNanoseconds()
            // A shutdown gives up by its deadline, even before the outage limit (`.max` until a
            // shutdown begins).
            let limitEnds = min(outage.limitEnds(after: self.outageLimitNanoseconds), self.status.shutdownDeadline)
            if now >= outage.nextAttempt || (finalSeen && !triedSinceFinal) {
                triedSinceFinal = finalSeen
                if self.writePending(durable: self.owedDurable) {
                    self.recovered(from: outage)
                    return false
                }
                continue
            }
            if now >= limitEnds {
                if finalSeen {
                    let lostNow = self.members.records + self.members.memberRecords
                    // A shutdown that stopped waiting for this thread counted them already.
                    if !self.status.isAbandoned { self.lost.add(lostNow) }
                    self.status.recordFailure("shutting down while unable to write: \(outage.error)")
                    self.status.holding(0)
                    reportToStandardError("shutting down while unable to write (\(outage.error)); \(lostNow + outage.droppedRecords) records were lost")
                    self.members.discardWhole()
                    self.outage = nil
                    return true
                }
                let batch = self.queue.next(into: &batchBytes, deadline: outage.nextAttempt)
                batchBytes.removeAll(keepingCapacity: true)
                self.outage?.droppedRecords += UInt64(batch.records)
                self.outage?.droppedByQueue += batch.dropped
                if !self.status.isAbandoned { self.lost.add(UInt64(batch.records)) }  // else counted by shutdown
                let ticket = max(batch.flushTicket, self.owedTicket)
                if ticket > self.completedTicket {
                    // The flushes waiting end now, without their records on disk.
                    self.status.recordFailure("\(outage.error); records were dropped after the outage outlasted \(self.configuration.outageBlockLimitMilliseconds) ms")
                }
                self.complete(ticket)
                if batch.isFinal { finalSeen = true }
            } else {
                self.sleep(until: min(outage.nextAttempt, limitEnds))
            }
        }
        return false
    }

    /// Writing works again: reports the outage (in the file and on standard error) and completes
    /// the flushes it held back.
    private func recovered(from outage: WriteOutage) {
        self.outage = nil
        let seconds = WriteOutage.decimalSeconds(monotonicNanoseconds() &- outage.sinceMonotonic)
        let message = "SpanLog could not write log files to \(self.directory.path) for \(seconds) s (since \(outage.since)): \(outage.error); \(outage.droppedRecords) records were dropped"
        reportToStandardError("writing log files to \(self.directory.path) again after \(seconds) s (\(outage.error)); \(outage.droppedRecords) records dropped")
        self.appendNotice(FileSinkNotice.jsonLine(
            message,
            metadata: [
                "spanlog.outage_seconds": .string(seconds),
                "spanlog.outage_since": .string(outage.since.description),
                "spanlog.error": .string(outage.error),
                "spanlog.dropped_records": .stringConvertible(outage.droppedRecords),
            ],
            now: self.clock()))
        if outage.droppedByQueue > 0 {
            self.appendNotice(DropNotice.jsonLine(dropped: outage.droppedByQueue, sink: "file", now: self.clock()))
        }
        if self.owedTicket > 0 {
            self.complete(self.owedTicket)
            self.owedTicket = 0
            self.owedDurable = false
        }
    }

    /// Sleeps until `deadline`, or until a shutdown's deadline passes (checked every 20 ms).
    private func sleep(until deadline: UInt64) {
        while true {
            let now = monotonicNanoseconds()
            guard deadline > now, self.status.shutdownDeadline > now else { return }
            FileDescriptorIO.sleep(nanoseconds: min(deadline - now, 20_000_000))
        }
    }
}
