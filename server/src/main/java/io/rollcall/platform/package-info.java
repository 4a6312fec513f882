/**
 * What every module stands on: configuration, the database (bundled PostgreSQL when none is configured),
 * JSON errors, and who is acting ({@link io.rollcall.platform.Actor}).
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.rollcall.platform;
