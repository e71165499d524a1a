namespace Funnel.Core.Tests.Docs;

/// <summary>Finds the repository root (the folder holding Funnel.Core.sln) above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Funnel.Core.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Funnel.Core.sln) is not above " + AppContext.BaseDirectory);
    }
}
