using System.Text;

namespace Tally.Storage.ClickHouse.Schema;

/// <summary>
/// Splits a schema script into statements. ClickHouse's HTTP interface runs one statement per request, and the
/// scripts are ours: a statement ends with ';' at the end of a line, and '--' starts a comment line.
/// </summary>
internal static class SqlScript
{
    public static IReadOnlyList<string> Statements(string script)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        foreach (var rawLine in script.Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            if (line.EndsWith(';'))
            {
                current.Append(line.AsSpan(0, line.Length - 1));
                statements.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(line).Append('\n');
            }
        }

        if (current.ToString().Trim().Length > 0)
        {
            throw new InvalidOperationException($"Schema script ends without ';' after: {current.ToString().Trim()}");
        }

        return statements;
    }
}
