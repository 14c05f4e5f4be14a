@echo off
rem Runs Dure on Windows: dure [--data DIR] [--port N] | dure COMMAND ... | dure --help
rem Needs a JDK 21+ (JAVA_HOME, or java on PATH) and, for the first build, Maven (mvn).
rem Builds web-ui\target\dure.jar when it is missing, or when DURE_REBUILD=1.
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%web-ui\target\dure.jar"

set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"

"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo Dure needs a JDK 21 or newer: set JAVA_HOME or put java on PATH. 1>&2
  exit /b 1
)

set "BUILD="
if not exist "%JAR%" set "BUILD=1"
if "%DURE_REBUILD%"=="1" set "BUILD=1"
if defined BUILD (
  echo Building Dure... 1>&2
  pushd "%ROOT%"
  call mvn -B -q -DskipTests -Dspotless.check.skip=true -pl web-ui -am package 1>&2
  if errorlevel 1 (
    popd
    echo dure: the build failed ^(see above^). 1>&2
    exit /b 1
  )
  popd
)

"%JAVA%" %DURE_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
