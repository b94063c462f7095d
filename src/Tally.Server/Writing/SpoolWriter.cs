using System.Buffers.Binary;
using System.Text.Json;
using System.Threading.Channels;
using Tally.Core.Events;
using Tally.Core.Storage;

namespace Tally.Server.Writing;

/// <summary>
/// The collector's local durable spool: requests are acknowledged once their batch is appended to a segment file and
/// fsynced (group commit: one fsync for every request waiting), and a shipper moves spooled batches to the store in
/// large writes with retry and backoff. Nothing is lost while the store is down, and nothing is doubled when it comes
/// back: a batch shipped but not yet marked shipped before a crash is shipped again, and the store drops the
/// duplicates by event id.
/// Record layout: [int32 payload length][uint32 CRC-32 of the rest][int64 append time, UTC ticks][UTF-8 JSON payload].
/// </summary>
public sealed class SpoolWriter : IBatchSink
{
    private sealed record Pending(WriteBatch Batch, TaskCompletionSource<WriteResult> Done, IReadOnlyList<OptOutChange>? OptOuts = null, bool Roll = false);

    private const int HeaderBytes = 16;
    private const long SegmentBytes = 64L * 1024 * 1024;
    private readonly string _dir;
    private readonly IEventStore _store;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _appended = new(0);
    private readonly object _gate = new();
    private readonly Task _writeLoop;
    private readonly Task _shipLoop;
    private FileStream _segment;
    private int _segmentIndex;
    // Durable end of the newest segment, published after each fsync; the shipper never reads past it.
    private (int Segment, long Offset) _durable;
    private long _depth;
    private long _oldestUnshippedTicks;

    /// <summary>Events the shipper has written to the store (or found there already) since start.</summary>
    public long Shipped { get; private set; }

    public int ShipBatchEvents { get; init; } = 20_000;
    public TimeSpan ShipInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    public Action<Exception>? OnShipFailure { get; init; }
    public Action<WriteResult, WriteBatch>? OnShipped { get; init; }

    public SpoolWriter(string dir, IEventStore store)
    {
        _dir = dir;
        _store = store;
        Directory.CreateDirectory(dir);
        Recover();
        _segment = OpenForAppend(_segmentIndex);
        _durable = (_segmentIndex, _segment.Length);
        _writeLoop = Task.Run(WriteLoopAsync);
        _shipLoop = Task.Run(ShipLoopAsync);
    }

    /// <summary>Events spooled and not yet in the store.</summary>
    public long Depth { get { lock (_gate) return _depth; } }

    public double FreshnessSeconds
    {
        get
        {
            long t;
            lock (_gate) t = _oldestUnshippedTicks;
            return t == 0 ? 0 : Math.Max(0, (DateTime.UtcNow.Ticks - t) / (double)TimeSpan.TicksPerSecond);
        }
    }

    public Task RecordOptOutsAsync(IReadOnlyList<OptOutChange> changes, CancellationToken ct)
    {
        if (changes.Count == 0) return Task.CompletedTask;
        var p = new Pending(new WriteBatch([], [], []), new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously), changes);
        if (!_channel.Writer.TryWrite(p)) p.Done.SetException(new ObjectDisposedException(nameof(SpoolWriter)));
        return p.Done.Task;
    }

    public Task<WriteResult> WriteAsync(WriteBatch batch)
    {
        if (batch.Events.Count == 0 && batch.Quarantined.Count == 0 && batch.Links.Count == 0)
            return Task.FromResult(new WriteResult([], 0));
        var p = new Pending(batch, new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(p)) p.Done.SetException(new ObjectDisposedException(nameof(SpoolWriter)));
        return p.Done.Task;
    }

    /// <summary>
    /// Starts a new segment and waits until the shipper has shipped and removed every older one, so records already in
    /// the store leave no copy in the spool (a GDPR deletion calls this after erasing the store's rows; records still
    /// unshipped are filtered by the suppression list on their way in). False when the store stayed unreachable for
    /// <paramref name="timeout"/>: the old segments go as soon as it is back.
    /// </summary>
    public async Task<bool> RetireSegmentsAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var p = new Pending(new WriteBatch([], [], []), new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously), Roll: true);
        if (!_channel.Writer.TryWrite(p)) return false;
        await p.Done.Task.WaitAsync(ct).ConfigureAwait(false);
        int current;
        lock (_gate) current = _durable.Segment;
        _appended.Release();
        var until = DateTime.UtcNow + timeout;
        while (ListSegments().Any(s => s < current))
        {
            if (DateTime.UtcNow >= until) return false;
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
        return true;
    }

    private string SegmentPath(int index) => Path.Combine(_dir, $"{index:D8}.spool");

    private string PositionPath => Path.Combine(_dir, "shipped.pos");

    private FileStream OpenForAppend(int index)
    {
        var fs = new FileStream(SegmentPath(index), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        fs.Seek(0, SeekOrigin.End);
        return fs;
    }

    /// <summary>Finds the newest segment, cuts a torn tail left by a crash, and counts what is still to ship.</summary>
    private void Recover()
    {
        var segments = ListSegments();
        _segmentIndex = segments.Count == 0 ? 1 : segments[^1];
        var last = SegmentPath(_segmentIndex);
        if (File.Exists(last))
        {
            var validEnd = 0L;
            foreach (var (_, end, _) in ReadRecords(_segmentIndex, 0, long.MaxValue)) validEnd = end;
            using var fs = new FileStream(last, FileMode.Open, FileAccess.Write);
            if (fs.Length != validEnd)
            {
                fs.SetLength(validEnd);
                fs.Flush(true);
            }
        }
        var (seg, offset) = ReadPosition();
        foreach (var s in segments.Where(s => s >= seg))
            foreach (var (record, _, ticks) in ReadRecords(s, s == seg ? offset : 0, long.MaxValue))
            {
                _depth += record.Events.Count;
                if (_oldestUnshippedTicks == 0) _oldestUnshippedTicks = ticks;
            }
    }

    private List<int> ListSegments() =>
        Directory.EnumerateFiles(_dir, "*.spool").Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), out var i) ? i : -1)
            .Where(i => i > 0).Order().ToList();

    private (int Segment, long Offset) ReadPosition()
    {
        if (!File.Exists(PositionPath)) return (ListSegments().FirstOrDefault(1), 0);
        var parts = File.ReadAllText(PositionPath).Trim().Split(' ');
        return (int.Parse(parts[0]), long.Parse(parts[1]));
    }

    private void WritePosition(int segment, long offset)
    {
        var tmp = PositionPath + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(System.Text.Encoding.ASCII.GetBytes($"{segment} {offset}\n"));
            fs.Flush(true);
        }
        File.Move(tmp, PositionPath, overwrite: true);
    }

    /// <summary>Whole, checksummed records of one segment from <paramref name="offset"/> up to <paramref name="limit"/>; stops at the first torn one.</summary>
    private IEnumerable<(SpoolRecord Record, long End, long Ticks)> ReadRecords(int segment, long offset, long limit)
    {
        var path = SegmentPath(segment);
        if (!File.Exists(path)) yield break;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        fs.Seek(offset, SeekOrigin.Begin);
        var header = new byte[HeaderBytes];
        var pos = offset;
        while (pos + HeaderBytes <= Math.Min(limit, fs.Length))
        {
            fs.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
            if (length <= 0 || pos + HeaderBytes + length > Math.Min(limit, fs.Length)) yield break;
            var body = new byte[8 + length];
            header.AsSpan(8, 8).CopyTo(body);
            fs.ReadExactly(body.AsSpan(8));
            if (Crc32.Compute(body) != crc) yield break;
            SpoolRecord? record;
            try { record = JsonSerializer.Deserialize(body.AsSpan(8), SpoolJson.Default.SpoolRecord); }
            catch (JsonException) { yield break; }
            if (record is null) yield break;
            pos += HeaderBytes + length;
            yield return (record, pos, ticks);
        }
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Pending>();
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < 1000 && _channel.Reader.TryRead(out var p)) group.Add(p);
            try
            {
                var now = DateTime.UtcNow.Ticks;
                long events = 0;
                foreach (var p in group)
                {
                    if (p.Roll) continue;
                    var payload = JsonSerializer.SerializeToUtf8Bytes(new SpoolRecord(p.Batch.Events, p.Batch.Quarantined, p.Batch.Links) { OptOuts = p.OptOuts }, SpoolJson.Default.SpoolRecord);
                    var record = new byte[HeaderBytes + payload.Length];
                    BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
                    BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), now);
                    payload.CopyTo(record, HeaderBytes);
                    BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(record.AsSpan(8)));
                    _segment.Write(record);
                    events += p.Batch.Events.Count;
                }
                _segment.Flush(flushToDisk: true);
                lock (_gate)
                {
                    _durable = (_segmentIndex, _segment.Length);
                    // Depth and the oldest unshipped time change together under the gate: the shipper empties both
                    // at once, and a batch appended between its two updates must not be left with no age.
                    _depth += events;
                    if (_oldestUnshippedTicks == 0) _oldestUnshippedTicks = now;
                }
                foreach (var p in group)
                    p.Done.TrySetResult(new WriteResult(Enumerable.Repeat(WriteOutcome.Spooled, p.Batch.Events.Count).ToArray(), p.Batch.Quarantined.Count));
                if (_segment.Length >= SegmentBytes || (group.Any(p => p.Roll) && _segment.Length > 0)) RollSegment();
                _appended.Release();
            }
            catch (Exception e)
            {
                foreach (var p in group) p.Done.TrySetException(e);
            }
        }
    }

    private void RollSegment()
    {
        _segment.Dispose();
        _segmentIndex++;
        _segment = OpenForAppend(_segmentIndex);
        lock (_gate) _durable = (_segmentIndex, 0);
    }

    private async Task ShipLoopAsync()
    {
        var (segment, offset) = ReadPosition();
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!_stop.IsCancellationRequested)
        {
            (int Segment, long Offset) durable;
            var shipStarted = DateTime.UtcNow.Ticks;
            lock (_gate) durable = _durable;
            var events = new List<CollectedEvent>();
            var quarantined = new List<QuarantinedEvent>();
            var links = new List<IdentityLink>();
            var optOuts = new List<OptOutChange>();
            var endSegment = segment;
            var endOffset = offset;
            long nextTicks = 0;
            // Gather whole records, across segments, until the batch is large enough or the durable end is reached.
            for (var s = segment; s <= durable.Segment && events.Count < ShipBatchEvents; s++)
            {
                var limit = s == durable.Segment ? durable.Offset : long.MaxValue;
                var reachedEnd = true;
                foreach (var (record, end, ticks) in ReadRecords(s, s == segment ? offset : 0, limit))
                {
                    if (events.Count >= ShipBatchEvents) { nextTicks = ticks; reachedEnd = false; break; }
                    events.AddRange(record.Events);
                    quarantined.AddRange(record.Quarantined);
                    links.AddRange(record.Links);
                    if (record.OptOuts is { } o) optOuts.AddRange(o);
                    endSegment = s;
                    endOffset = end;
                }
                if (!reachedEnd) break;
                if (s < durable.Segment && endSegment == s) { endSegment = s + 1; endOffset = 0; }
                else if (s < durable.Segment && endSegment < s) { endSegment = s + 1; endOffset = 0; }
            }
            if (endSegment == segment && endOffset == offset)
            {
                try { await _appended.WaitAsync(ShipInterval, _stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            try
            {
                // Opt-outs first, as the collector applied them before the events that followed them.
                foreach (var o in optOuts) await _store.SetOptOutAsync(o.Actor, o.OptedOut, o.At, _stop.Token).ConfigureAwait(false);
                var batch = new WriteBatch(events, quarantined, links);
                var result = await _store.WriteAsync(batch, _stop.Token).ConfigureAwait(false);
                OnShipped?.Invoke(result, batch);
                WritePosition(endSegment, endOffset);
                for (var s = segment; s < endSegment; s++) File.Delete(SegmentPath(s));
                (segment, offset) = (endSegment, endOffset);
                Shipped += events.Count;
                lock (_gate)
                {
                    _depth -= events.Count;
                    // What is left was appended at nextTicks at the earliest, or after this ship began when the shipper
                    // reached the durable end.
                    _oldestUnshippedTicks = _depth > 0 ? (nextTicks != 0 ? nextTicks : shipStarted) : 0;
                }
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The store is down or refused the batch: keep it spooled and try again later, backing off to 30 s.
                OnShipFailure?.Invoke(e);
                try { await Task.Delay(backoff, _stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, backoff.TotalMilliseconds * 2));
            }
        }
    }

    /// <summary>Waits until everything spooled so far is in the store, or the timeout passes. For tests and shutdown.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Depth > 0 && DateTime.UtcNow < until) await Task.Delay(20).ConfigureAwait(false);
        return Depth == 0;
    }

    /// <summary>Stops without waiting for the shipper, leaving unshipped batches in the spool, as a crash would.</summary>
    internal async Task DisposeWithoutDrainForTestsAsync()
    {
        _channel.Writer.TryComplete();
        await _writeLoop.ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _shipLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _segment.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writeLoop.ConfigureAwait(false);
        await DrainAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _shipLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _segment.Dispose();
    }
}
