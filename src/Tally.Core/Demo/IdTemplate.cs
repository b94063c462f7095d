using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tally.Core.Demo;

/// <summary>
/// An id pattern such as <c>sess_{hex:12}</c> or <c>AUR-{digits:5}</c>: literal text with placeholders
/// <c>{hex:N}</c>, <c>{digits:N}</c>, <c>{letters:N}</c> (N random characters) and <c>{n}</c> (the flow's number in the run).
/// </summary>
public sealed partial class IdTemplate
{
    private readonly List<(string Kind, string Text, int Length)> _parts = [];

    private IdTemplate(string text) => Text = text;

    public string Text { get; }

    /// <summary>True when the pattern has no random part: every flow gets the same id (e.g. a batch job's name).</summary>
    public bool IsConstant => _parts.TrueForAll(p => p.Kind == "text");

    [GeneratedRegex(@"\{(?<kind>[a-z]+)(:(?<n>\d+))?\}")]
    private static partial Regex Placeholder();

    public static IdTemplate? TryParse(string text, out string? error)
    {
        error = null;
        var t = new IdTemplate(text);
        var at = 0;
        foreach (Match m in Placeholder().Matches(text))
        {
            if (m.Index > at) t._parts.Add(("text", text[at..m.Index], 0));
            var kind = m.Groups["kind"].Value;
            var n = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
            if (kind is "hex" or "digits" or "letters")
            {
                if (n is < 1 or > 64)
                {
                    error = $"'{m.Value}' needs a length from 1 to 64, e.g. {{{kind}:8}}";
                    return null;
                }
            }
            else if (kind != "n")
            {
                error = $"unknown placeholder '{m.Value}' (use {{hex:N}}, {{digits:N}}, {{letters:N}} or {{n}})";
                return null;
            }
            t._parts.Add((kind, "", n));
            at = m.Index + m.Length;
        }
        if (at < text.Length) t._parts.Add(("text", text[at..], 0));
        if (text.Length == 0)
        {
            error = "an id pattern must not be empty";
            return null;
        }
        return t;
    }

    public string Render(DemoRandom rng, long flowNumber)
    {
        var sb = new StringBuilder();
        foreach (var (kind, text, n) in _parts)
        {
            sb.Append(kind switch
            {
                "hex" => rng.Hex(n),
                "digits" => rng.Digits(n),
                "letters" => rng.Letters(n),
                "n" => flowNumber.ToString(CultureInfo.InvariantCulture),
                _ => text,
            });
        }
        return sb.ToString();
    }

    public override string ToString() => Text;
}
