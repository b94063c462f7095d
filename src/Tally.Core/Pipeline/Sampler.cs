namespace Tally.Core.Pipeline;

/// <summary>
/// Deterministic sampling on the session (or actor) id: the same key is always kept or always dropped, so a sampled
/// journey is kept or dropped whole. FNV-1a 64 of the UTF-16 code units, mapped to [0,1).
/// </summary>
public static class Sampler
{
    public static bool Keep(string? key, double rate)
    {
        if (rate >= 1) return true;
        if (rate <= 0) return false;
        if (key is null) return true;
        return Fraction(key) < rate;
    }

    public static double Fraction(string key)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in key)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        // A final avalanche so that keys differing only in the last character spread over the whole range.
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL; h ^= h >> 33;
        return (h >> 11) * (1.0 / (1UL << 53));
    }
}
