package ddpo4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's version for {@code --version}. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"ddpo4j " + (v == null ? "(development build)" : v)};
    }
}
