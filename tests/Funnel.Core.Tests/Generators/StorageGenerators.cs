using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Storage;

/// <summary>Generated text for <see cref="StoredTextTests"/>.</summary>
internal static class StorageGenerators
{
    /// <summary>Hostile shapes: pairs, lone halves at the start, middle and end, reversed pairs, NUL before and after them.</summary>
    internal static Gen<string> HostileText =>
        Gen.ArrayOf(Gen.Elements('a', 'é', '中', '\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE80'))
            .Select(chars => new string(chars));
}
