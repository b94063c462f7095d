using System.Text.Json.Nodes;

namespace Tally.Core.Demo;

/// <summary>Dotted paths (<c>properties.sessionId</c>) into a payload being built, as the plan's envelope names them.</summary>
internal static class JsonPath
{
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var cur = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (cur[parts[i]] is not JsonObject next)
            {
                next = new JsonObject();
                cur[parts[i]] = next;
            }
            cur = next;
        }
        cur[parts[^1]] = value;
    }

    public static JsonNode? Get(JsonObject root, string path)
    {
        JsonNode? cur = root;
        foreach (var part in path.Split('.'))
        {
            if (cur is not JsonObject o || !o.TryGetPropertyValue(part, out cur)) return null;
        }
        return cur;
    }

    public static bool Remove(JsonObject root, string path)
    {
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? root : Get(root, path[..dot]) as JsonObject;
        return parent is not null && parent.Remove(dot < 0 ? path : path[(dot + 1)..]);
    }
}
