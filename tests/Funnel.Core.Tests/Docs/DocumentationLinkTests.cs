using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Funnel.Core.Tests.Docs;

/// <summary>
/// Every relative link in README.md, CHANGELOG.md, the package READMEs and docs/*.md points at a file that exists,
/// and every <c>#anchor</c> at a heading of the target page (GitHub's slugs), so a newcomer never follows a dead link.
/// </summary>
public sealed partial class DocumentationLinkTests
{
    [Fact]
    public void Every_relative_link_and_anchor_resolves()
    {
        var root = RepositoryRoot.Find();
        var pages = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "samples"), "README.md", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "README.md"))
            .Append(Path.Combine(root, "CHANGELOG.md"))
            .Append(Path.Combine(root, "benchmarks", "README.md"))
            .Where(File.Exists)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var broken = new List<string>();
        var checkedLinks = 0;

        foreach (var page in pages)
        {
            var text = WithoutCode(File.ReadAllText(page));
            foreach (Match link in MarkdownLink().Matches(text))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
                var where = $"{Path.GetRelativePath(root, page)}: ({target})";
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{where} — no such file");
                }
                else if (anchor is not null && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                    && !Slugs(File.ReadAllText(resolved)).Contains(anchor))
                {
                    broken.Add($"{where} — no heading with this anchor");
                }
            }
        }

        Assert.True(checkedLinks > 50, $"only {checkedLinks} links found: is the link pattern still right?");
        Assert.True(broken.Count == 0, "Broken links:" + Environment.NewLine + string.Join(Environment.NewLine, broken));
    }

    [Theory]
    [InlineData("Why is `Won` not the same as \"reached\" at the goal stage?", "why-is-won-not-the-same-as-reached-at-the-goal-stage")]
    [InlineData("Source A converts at 12 %, source B at 9 %. Is A better?", "source-a-converts-at-12--source-b-at-9--is-a-better")]
    [InlineData("Implicit pass-through (`PassThrough()`)", "implicit-pass-through-passthrough")]
    public void Slugs_follow_GitHub(string heading, string slug) => Assert.Equal(slug, Slug(heading));

    private static HashSet<string> Slugs(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(WithoutCode(markdown)))
        {
            var slug = Slug(heading.Groups["title"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            slugs.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return slugs;
    }

    private static string Slug(string heading)
    {
        var builder = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('-');
            }
        }

        return builder.ToString();
    }

    private static string WithoutCode(string markdown) => FencedCode().Replace(markdown, string.Empty);

    [GeneratedRegex(@"(?<!!)\[[^\]\n]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{1,6}[ \t]+(?<title>.+?)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```.*?^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();
}
