package io.rollcall.emulators.entra;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator on its own: {@code java -cp ... io.rollcall.emulators.entra.EntraEmulatorMain --port 9100
 * --users 300 [--https] [--seed 42] [--consent-page]}. Prints the tenant, app credentials and group id, then serves
 * until stopped.
 */
public final class EntraEmulatorMain {

    private EntraEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 9100;
        int users = 300;
        long seed = 42;
        boolean https = false;
        boolean consentPage = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--https" -> https = true;
                case "--consent-page" -> consentPage = true;
                default -> {
                    System.err.println(
                            "Unknown argument " + args[i] + "; use --port N --users N --seed N --https --consent-page");
                    System.exit(2);
                }
            }
        }
        EntraEmulator emulator = EntraEmulator.start(EntraEmulator.Options.defaults()
            .port(port)
            .https(https)
            .seed(seed)
            .autoApproveConsent(!consentPage)
            .consentGrantedOnCreate(!consentPage));
        EntraTenant tenant = emulator.createTenant("contoso.example");
        long start = System.nanoTime();
        GeneratedDirectory directory = tenant.generate(DirectorySpec.people(users).withSeed(seed));
        System.out.println("Entra ID emulator ready (" + users + " people generated in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
        System.out.println("  authority      " + emulator.authority());
        System.out.println("  graph          " + emulator.graphUrl());
        System.out.println("  admin API      " + emulator.adminUrl());
        System.out.println("  tenant id      " + tenant.tenantId());
        System.out.println("  client id      " + tenant.clientId());
        System.out.println("  client secret  " + tenant.clientSecret());
        System.out.println("  top group id   " + directory.topGroupId());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stop.countDown();
        }));
        stop.await();
    }
}
