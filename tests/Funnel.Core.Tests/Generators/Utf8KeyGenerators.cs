using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Generated keys for <see cref="Utf8KeyTableTests"/>.</summary>
internal static class Utf8KeyGenerators
{
    /// <summary>Keys that are decimal look-alikes: plain numbers small and large, leading zeros, signs, 9 and 10 digits, text.</summary>
    internal static readonly Gen<string> Keys = Gen.OneOf(
        Gen.Choose(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Choose(0, 300).Select(i => "0" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Choose(0, 300).Select(i => "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements("999999999", "1000000000", "2147483647", "4294967296", "123456789", "0", "00", "", " 1", "1 ", "1.0", "\u0661"),
        Gen.Elements("lead-1", "a", "key with more than fifteen bytes", "caf\u00e9"));
}
