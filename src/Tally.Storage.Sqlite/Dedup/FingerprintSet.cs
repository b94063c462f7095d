namespace Tally.Storage.Sqlite.Dedup;

/// <summary>
/// A grow-only open-addressing set of non-zero 128-bit fingerprints: 16 bytes a slot and at most 3/4 full, so about
/// 21–43 bytes an id (a HashSet&lt;UInt128&gt; takes ~36 plus an object header per resize). No removal: the writer
/// adds a batch's fingerprints only after its commit, so a rolled-back batch never needs taking out.
/// </summary>
internal sealed class FingerprintSet
{
    private UInt128[] _slots;
    private int _mask;

    public FingerprintSet(int capacity = 1024)
    {
        // long: at the largest sizes size * 3 would overflow an int.
        var size = 16L;
        while (size * 3 / 4 < capacity)
        {
            size *= 2;
        }

        _slots = new UInt128[size];
        _mask = (int)(size - 1);
    }

    public int Count { get; private set; }

    public bool Contains(UInt128 fingerprint)
    {
        var i = Start(fingerprint, _mask);
        while (true)
        {
            var slot = _slots[i];
            if (slot == fingerprint)
            {
                return true;
            }

            if (slot == UInt128.Zero)
            {
                return false;
            }

            i = (i + 1) & _mask;
        }
    }

    /// <summary>True when the fingerprint was not in the set before.</summary>
    public bool Add(UInt128 fingerprint)
    {
        ArgumentOutOfRangeException.ThrowIfZero(fingerprint);
        if (Count + 1L > _slots.Length / 4L * 3)
        {
            Grow();
        }

        if (!Insert(_slots, _mask, fingerprint))
        {
            return false;
        }

        Count++;
        return true;
    }

    // Runs once per doubling, so tiered compilation never promotes it and it ran as unoptimised code, rehashing
    // millions of slots while every waiting request stalled: seen in a profile of a sustained run.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        var slots = new UInt128[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (var fingerprint in _slots)
        {
            if (fingerprint != UInt128.Zero)
            {
                Insert(slots, mask, fingerprint);
            }
        }

        _slots = slots;
        _mask = mask;
    }

    private static bool Insert(UInt128[] slots, int mask, UInt128 fingerprint)
    {
        var i = Start(fingerprint, mask);
        while (true)
        {
            var slot = slots[i];
            if (slot == fingerprint)
            {
                return false;
            }

            if (slot == UInt128.Zero)
            {
                slots[i] = fingerprint;
                return true;
            }

            i = (i + 1) & mask;
        }
    }

    // The fingerprint is already uniformly distributed (a keyed SipHash), so its low bits are a good slot number.
    private static int Start(UInt128 fingerprint, int mask) => (int)((ulong)fingerprint & (ulong)mask);
}
