using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Tally.Storage.Sqlite.Dedup;

/// <summary>
/// An open-addressing set (linear probing) of non-zero 128-bit fingerprints: 16 bytes a slot and at most 3/4 full, so
/// about 21–43 bytes an id (a HashSet&lt;UInt128&gt; takes ~36 plus an object header per resize). The writer adds a
/// batch's fingerprints as it inserts the rows, one probe each, and removes them again if the batch rolls back.
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

    /// <summary>
    /// Starts loading the fingerprint's home slot into the CPU's cache, so that its probe a few events later does not
    /// wait for memory: the table is far larger than the caches (and their address translations), and a probe that
    /// missed cost ~3.5% of the collector's CPU, all on the one writer thread. Only a hint: a prefetch never faults,
    /// so it does not matter if the table is replaced (grown) before the probe.
    /// </summary>
    public unsafe void Prefetch(UInt128 fingerprint)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[Start(fingerprint, _mask)]));
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

    /// <summary>
    /// Takes a fingerprint out (a rolled-back batch's). Linear probing has no tombstones here: the entries after the
    /// hole, up to the next empty slot, are shifted back when their home slot allows it, so every remaining member
    /// stays reachable from its home slot without an empty slot in between.
    /// </summary>
    public bool Remove(UInt128 fingerprint)
    {
        var hole = Start(fingerprint, _mask);
        while (_slots[hole] != fingerprint)
        {
            if (_slots[hole] == UInt128.Zero)
            {
                return false;
            }

            hole = (hole + 1) & _mask;
        }

        var i = hole;
        while (true)
        {
            i = (i + 1) & _mask;
            var slot = _slots[i];
            if (slot == UInt128.Zero)
            {
                break;
            }

            // The entry at i may move into the hole only if its home slot is not within (hole, i], cyclically:
            // otherwise a lookup starting at its home would stop at the hole's empty slot before reaching it.
            var home = Start(slot, _mask);
            var homeAfterHole = ((home - hole) & _mask) != 0 && ((home - hole) & _mask) <= ((i - hole) & _mask);
            if (!homeAfterHole)
            {
                _slots[hole] = slot;
                hole = i;
            }
        }

        _slots[hole] = UInt128.Zero;
        Count--;
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
