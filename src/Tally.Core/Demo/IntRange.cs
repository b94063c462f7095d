using System.Globalization;

namespace Tally.Core.Demo;

/// <summary>A whole-number range written <c>3</c> or <c>1..6</c> (both ends inclusive).</summary>
public sealed record IntRange(long Min, long Max)
{
    public static readonly IntRange One = new(1, 1);

    public long Sample(DemoRandom rng) => rng.Between(Min, Max);

    public static bool TryParse(string? text, out IntRange range)
    {
        range = One;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2) return false;
        if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var min)) return false;
        var max = min;
        if (parts.Length == 2 && !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out max)) return false;
        if (max < min) return false;
        range = new IntRange(min, max);
        return true;
    }

    public override string ToString() => Min == Max ? Min.ToString(CultureInfo.InvariantCulture) : $"{Min}..{Max}";
}
