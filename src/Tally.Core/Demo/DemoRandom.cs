namespace Tally.Core.Demo;

/// <summary>
/// xoshiro256** seeded through SplitMix64. <see cref="System.Random"/> does not promise the same sequence across .NET
/// versions; demo traffic must be the same for a seed on every machine and runtime, so the generator is written out.
/// </summary>
public sealed class DemoRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DemoRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for item <paramref name="index"/> of run <paramref name="seed"/>: flow i does not depend on how many came before.</summary>
    public static DemoRandom For(long seed, long index)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index);
        return new DemoRandom(SplitMix(ref x) ^ (ulong)index);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p >= 1 || (p > 0 && NextDouble() < p);

    /// <summary>Uniform in [min, max], both inclusive.</summary>
    public long Between(long min, long max) => max <= min ? min : min + (long)(NextUInt64() % (ulong)(max - min + 1));

    public double Between(double min, double max) => max <= min ? min : min + NextDouble() * (max - min);

    public int Index(int count) => (int)Between(0, count - 1);

    public T Pick<T>(IReadOnlyList<T> items) => items[Index(items.Count)];

    /// <summary>An item drawn by weight; weights need not add up to anything.</summary>
    public T Pick<T>(IReadOnlyList<Weighted<T>> items)
    {
        var total = 0.0;
        foreach (var w in items) total += w.Weight;
        var r = NextDouble() * total;
        foreach (var w in items)
        {
            if (r < w.Weight) return w.Value;
            r -= w.Weight;
        }
        return items[^1].Value;
    }

    public string Hex(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = "0123456789abcdef"[(int)(NextUInt64() >> 60)];
        return new string(chars);
    }

    public string Digits(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('0' + (int)Between(0, 9));
        return new string(chars);
    }

    public string Letters(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('a' + (int)Between(0, 25));
        return new string(chars);
    }

    /// <summary>A random (version 4 shaped) UUID, as SDKs send for message ids.</summary>
    public string Uuid()
    {
        var h = Hex(32).ToCharArray();
        h[12] = '4';
        h[16] = "89ab"[(int)Between(0, 3)];
        var s = new string(h);
        return $"{s[..8]}-{s[8..12]}-{s[12..16]}-{s[16..20]}-{s[20..]}";
    }
}
