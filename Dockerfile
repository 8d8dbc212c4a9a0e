# The dispatcher image: the fat jar on a Java 17 runtime. Build the jar first:
#   mvn -B -DskipTests package
FROM eclipse-temurin:17.0.15_6-jre
RUN useradd --system --uid 10001 kdispatch
WORKDIR /app
COPY dispatcher/target/dispatcher.jar /app/dispatcher.jar
USER kdispatch
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/dispatcher.jar"]
CMD ["--help"]
