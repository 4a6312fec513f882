package io.rollcall.emulators.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A key pair and a self-signed certificate made at start-up, for clients that insist on TLS. Nothing is
 * written to disk; {@link #clientContext()} gives callers an {@link SSLContext} that trusts exactly this
 * certificate.
 */
public final class SelfSignedCertificate {

    private static final char[] PASSWORD = "emulator".toCharArray();

    private final X509Certificate certificate;
    private final KeyStore keyStore;

    private SelfSignedCertificate(X509Certificate certificate, KeyStore keyStore) {
        this.certificate = certificate;
        this.keyStore = keyStore;
    }

    /** Generates a certificate valid for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and {@code extraNames}. */
    public static SelfSignedCertificate generate(List<String> extraNames) {
        Objects.requireNonNull(extraNames, "extraNames cannot be null");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=localhost, O=Rollcall emulator");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            names.add(new GeneralName(GeneralName.iPAddress, "::1"));
            for (String name : extraNames) {
                boolean address = name.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':');
                names.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName,
                        address ? InetAddress.getByName(name).getHostAddress() : name));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("emulator", keys.getPrivate(), PASSWORD,
                    new java.security.cert.Certificate[] { certificate });
            return new SelfSignedCertificate(certificate, store);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not generate the emulator's self-signed certificate", ex);
        }
    }

    public X509Certificate certificate() {
        return this.certificate;
    }

    /** The context the server presents this certificate with. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(this.keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not build the emulator's TLS server context", ex);
        }
    }

    /** A client context that trusts this certificate (and nothing else). */
    public SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("emulator", this.certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not build a client context trusting the emulator", ex);
        }
    }
}
