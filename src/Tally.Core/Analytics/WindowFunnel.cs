namespace Tally.Core.Analytics;

/// <summary>
/// ClickHouse's <c>windowFunnel(window)</c> in its default mode, for one actor, plus the chain of record the
/// median and exclusions need. Each (event, matching step) pair is processed in order of (timestamp, step), so
/// one event that matches consecutive steps can advance through them; a step-k pair extends the chain that last
/// reached step k−1 (the one with the latest start) when it lies within the window of that start.
/// </summary>
internal sealed class WindowFunnel
{
    private readonly int _steps;
    private readonly long _windowMs;
    private readonly bool[] _has;
    // Row k holds the timestamps of the chain that last reached step k (0-based), steps 0..k.
    private readonly long[] _chain;

    public WindowFunnel(int steps, long windowMs)
    {
        if (steps is < 1 or > 32) throw new ArgumentException("a funnel has 1 to 32 steps", nameof(steps));
        _steps = steps;
        _windowMs = windowMs;
        _has = new bool[steps];
        _chain = new long[steps * steps];
    }

    public int Steps => _steps;

    /// <summary>
    /// Runs over one actor's events, sorted by timestamp. Bit j of a mask means the event matches step j (0-based);
    /// the caller clears bit 0 for events whose start would fall outside the range. Returns the level (0 = no step).
    /// </summary>
    public int Run(ReadOnlySpan<long> timestamps, ReadOnlySpan<uint> masks)
    {
        Array.Clear(_has);
        var n = _steps;
        var i = 0;
        while (i < timestamps.Length)
        {
            var ts = timestamps[i];
            uint group = 0;
            // Pairs with the same (timestamp, step) act alike, so the steps of all events at one instant are
            // processed once each, in ascending step order.
            while (i < timestamps.Length && timestamps[i] == ts) group |= masks[i++];
            while (group != 0)
            {
                var j = System.Numerics.BitOperations.TrailingZeroCount(group);
                group &= group - 1;
                if (j == 0)
                {
                    _has[0] = true;
                    _chain[0] = ts;
                }
                else if (_has[j - 1] && ts - _chain[(j - 1) * n] <= _windowMs)
                {
                    Array.Copy(_chain, (j - 1) * n, _chain, j * n, j);
                    _chain[j * n + j] = ts;
                    _has[j] = true;
                }
            }
        }
        for (var k = n; k > 0; k--) if (_has[k - 1]) return k;
        return 0;
    }

    /// <summary>Timestamp of step <paramref name="step"/> in the chain of record of step <paramref name="reached"/> (both 1-based, step ≤ reached ≤ level).</summary>
    public long ChainTimestamp(int reached, int step) => _chain[(reached - 1) * _steps + (step - 1)];
}
