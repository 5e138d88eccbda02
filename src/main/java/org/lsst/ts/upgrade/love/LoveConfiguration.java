package org.lsst.ts.upgrade.love;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(LoveProperties.class)
class LoveConfiguration {}
