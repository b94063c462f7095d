using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Tally.Storage.Sqlite.Dedup;

/// <summary>
/// An open-addressing set (linear probing) of non-zero 128-bit fingerprints: 16 bytes a slot and at most 3/4 full, so
/// about 21–43 bytes an id (a HashSet&lt;UInt128&gt; takes ~36 plus an object header per resize). The writer adds a
/// batch's fingerprints as it inserts the rows, one probe each, and removes them again if the batch rolls back.
/// <para>
/// It grows incrementally: a full table is kept, read-only, beside one twice its size, and each later
/// <see cref="Add"/> moves <see cref="MigrateStep"/> of its slots across until it is empty of unmoved slots. Rehashing
/// all at once stalled every waiting write for the whole rehash: measured 84 ms at 1.6M ids, 0.4 s at 3.1M,
/// 0.9 s at 6.3M and 1.7 s at 12.6M, once per doubling. A member is in the new table, or still in the old one (which
/// keeps every member it had until it is dropped), so a lookup during a migration asks both.
/// </para>
/// </summary>
internal sealed class FingerprintSet
{
    /// <summary>
    /// Old slots moved per add. A table grows when 3/4 full, so its successor starts 3/8 full and the move ends within
    /// 1/64 of the old size in adds, before the new table is 25/64 full: long before it needs to grow again. Measured
    /// over 25M random adds (the loop of the ingest benchmark's <c>--profile dedup</c>): 8 a step cost 403 ns an add
    /// and left 109 windows of 1,000 adds over 5 ms; 16 cost 362–390 ns; 64 cost 317–356 ns with the worst window
    /// 13–20 ms, where rehashing all at once cost 321–385 ns with the worst window 0.5–1.7 s. Longer steps spend
    /// fewer adds probing two tables.
    /// </summary>
    private const int MigrateStep = 64;

    private UInt128[] _slots;
    private int _mask;
    // The table being moved into _slots during a migration, and how many of its slots have been moved; null otherwise.
    private UInt128[]? _old;
    private int _oldMask;
    private int _moved;

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

    /// <summary>True while a grown table's members are still being moved across (for tests).</summary>
    internal bool Migrating => _old is not null;

    public bool Contains(UInt128 fingerprint) =>
        Find(_slots, _mask, fingerprint) || (_old is not null && Find(_old, _oldMask, fingerprint));

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
            if (_old is { } old)
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref old[Start(fingerprint, _oldMask)]));
            }
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

        if (_old is not null)
        {
            MoveSome(MigrateStep);
            // Checked before the insert: a member not yet moved is only in the old table.
            if (_old is not null && Find(_old, _oldMask, fingerprint))
            {
                return false;
            }
        }

        if (!Insert(_slots, _mask, fingerprint))
        {
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>
    /// Adds many at once, as when the set is loaded from the table: every home slot of the run is prefetched before the
    /// first probe, so the memory accesses overlap instead of waiting one after the other. Loading 10M ids spent 30% of
    /// its time in those waits.
    /// </summary>
    public void AddRange(ReadOnlySpan<UInt128> fingerprints)
    {
        foreach (var fingerprint in fingerprints)
        {
            Prefetch(fingerprint);
        }

        foreach (var fingerprint in fingerprints)
        {
            Add(fingerprint);
        }
    }

    /// <summary>
    /// Takes a fingerprint out (a rolled-back batch's). Linear probing has no tombstones here: the entries after the
    /// hole, up to the next empty slot, are shifted back when their home slot allows it, so every remaining member
    /// stays reachable from its home slot without an empty slot in between. A migration is finished first: shifting
    /// entries inside the old table could move one behind the point already moved, and it would be lost. Rollbacks
    /// are rare, so that one stall is acceptable.
    /// </summary>
    public bool Remove(UInt128 fingerprint)
    {
        FinishMove();
        var hole = Probe(_slots, _mask, fingerprint);
        if (_slots[hole] != fingerprint)
        {
            return false;
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

    /// <summary>Starts a migration into a table twice the size, finishing any earlier one first.</summary>
    private void Grow()
    {
        FinishMove();

        _old = _slots;
        _oldMask = _mask;
        _moved = 0;
        _slots = new UInt128[_old.Length * 2L];
        _mask = _slots.Length - 1;
    }

    private void FinishMove()
    {
        if (_old is not null)
        {
            MoveSome(int.MaxValue);
        }
    }

    /// <summary>Moves up to <paramref name="count"/> more of the old table's slots into the new one; drops the old table when all are moved.</summary>
    private void MoveSome(int count)
    {
        var old = _old!;
        var end = (int)Math.Min(old.Length, (long)_moved + count);
        for (var i = _moved; i < end; i++)
        {
            var fingerprint = old[i];
            if (fingerprint != UInt128.Zero)
            {
                Insert(_slots, _mask, fingerprint);
            }
        }

        _moved = end;
        if (end == old.Length)
        {
            _old = null;
        }
    }

    private static bool Find(UInt128[] slots, int mask, UInt128 fingerprint) => slots[Probe(slots, mask, fingerprint)] == fingerprint;

    private static bool Insert(UInt128[] slots, int mask, UInt128 fingerprint)
    {
        var i = Probe(slots, mask, fingerprint);
        if (slots[i] == fingerprint)
        {
            return false;
        }

        slots[i] = fingerprint;
        return true;
    }

    /// <summary>The fingerprint's slot, or the empty slot where its probe ends (where it would go) when it is absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Probe(UInt128[] slots, int mask, UInt128 fingerprint)
    {
        var i = Start(fingerprint, mask);
        while (slots[i] != fingerprint && slots[i] != UInt128.Zero)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    // The fingerprint is already uniformly distributed (a keyed SipHash), so its low bits are a good slot number.
    private static int Start(UInt128 fingerprint, int mask) => (int)((ulong)fingerprint & (ulong)mask);
}
